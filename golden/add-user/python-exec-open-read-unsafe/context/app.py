exec(open('boot.py').read())
print('started')
