import logsetup
print('started')
