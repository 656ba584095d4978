import sqlite3
print(sqlite3.connect('/usr/share/myapp/ref.db').execute('select 1').fetchone())
