FROM python:3.11
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
RUN cp defaults/state.json /app/state.json
CMD ["python", "app.py"]
