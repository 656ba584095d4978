def create_app():
    open("/opt/api/state.json", "w").write("{}")
