import os, sys
d = os.path.join(sys.prefix, 'share', 'myapp')
os.makedirs(d, exist_ok=True)
print('started')
