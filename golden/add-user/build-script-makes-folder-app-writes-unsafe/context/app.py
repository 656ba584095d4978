open('data/last-boot.txt', 'w').write('x')
