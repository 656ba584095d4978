import sqlite3, os
def get():
    os.makedirs('instance', exist_ok=True)
    return sqlite3.connect('instance/app.sqlite')
