from myapp.db import get
c = get()
c.execute('create table t (x)')
c.commit()
