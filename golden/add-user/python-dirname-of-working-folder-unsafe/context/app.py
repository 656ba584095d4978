import os
d = os.path.join(os.path.dirname(os.getcwd()), 'data')
os.makedirs(d, exist_ok=True)
print('started', d)
