python3 -c "import sqlite3; c=sqlite3.connect('app.db'); c.execute('create table t(x)'); c.commit()"
