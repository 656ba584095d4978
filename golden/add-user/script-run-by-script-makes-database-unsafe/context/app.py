import sqlite3
c=sqlite3.connect('app.db')
c.execute('insert into t values (1)')
c.commit()
print('rows', c.execute('select count(*) from t').fetchone()[0])
