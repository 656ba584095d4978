open('var/counter', 'w').write('1')
