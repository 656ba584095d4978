import json, os
def init():
    os.makedirs('var', exist_ok=True)
    json.dump({'hits': 0}, open('var/hits.json', 'w'))
