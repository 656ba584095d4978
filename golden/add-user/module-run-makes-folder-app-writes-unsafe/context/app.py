open('data/visits.txt', 'w').write('1')
