import a
print('started')
