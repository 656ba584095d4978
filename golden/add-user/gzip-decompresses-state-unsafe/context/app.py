open('state.txt', 'a').write('more\n')
print('started', len(open('state.txt').read()))
