import json
json.dump({'hits': 1}, open('var/hits.json', 'w'))
