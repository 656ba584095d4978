print(open('REVISION').read())
