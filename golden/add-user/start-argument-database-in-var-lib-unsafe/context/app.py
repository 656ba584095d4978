import sqlite3, sys
sqlite3.connect(sys.argv[1]).execute('create table if not exists t(x)')
print('started')
