import uvicorn
app = None
if __name__ == "__main__":
    uvicorn.run(app, port=80)
