import os
if not os.path.exists('/usr/local/bin/myapp'):
    os.symlink('/app/app.py', '/usr/local/bin/myapp')
print('started')
