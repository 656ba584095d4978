from myapp.db import get
c = get()
c.execute('insert into t values (1)')
c.commit()
print('started')
