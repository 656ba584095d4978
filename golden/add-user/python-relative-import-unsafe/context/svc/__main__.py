from . import logsetup
print('started')
