from svc import logsetup
print('started')
