import sqlite3
sqlite3.connect('app.db').execute('insert into t values (1)')
