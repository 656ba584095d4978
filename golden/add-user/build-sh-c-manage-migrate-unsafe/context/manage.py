import sys, sqlite3
c = sqlite3.connect('db.sqlite3')
if sys.argv[1] == 'migrate':
    c.execute('create table t (x)')
else:
    c.execute('insert into t values (1)')
    print('started')
c.commit()
