open('/data/visits', 'a').write('1')
