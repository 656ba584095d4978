FROM python:3.11
WORKDIR /app
SHELL ["/bin/bash", "-c"]
ENV BASH_ENV=/app/env.sh
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
CMD ["python3", "app.py"]
