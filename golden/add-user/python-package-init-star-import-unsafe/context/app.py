import pkg
print('started')
