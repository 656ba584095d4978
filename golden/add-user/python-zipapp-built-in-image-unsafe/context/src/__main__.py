import log
print('started')
