FROM python:3.12-slim
RUN pip install uv==0.5.11
WORKDIR /app
COPY build-constraints.txt requirements.txt ./
RUN uv pip install --system -r requirements.txt -b build-constraints.txt
COPY . .
CMD ["python", "app.py"]
