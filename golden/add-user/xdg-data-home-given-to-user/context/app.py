import os
d = os.path.join(os.environ.get('XDG_DATA_HOME', os.path.expanduser('~/.local/share')), 'myapp')
os.makedirs(d, exist_ok=True)
print('started')
