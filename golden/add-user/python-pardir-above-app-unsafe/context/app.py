import os
d = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, 'data')
os.makedirs(d, exist_ok=True)
print('started')
