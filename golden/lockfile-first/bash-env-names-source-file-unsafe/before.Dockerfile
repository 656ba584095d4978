FROM python:3.11
WORKDIR /app
SHELL ["/bin/bash", "-c"]
ENV BASH_ENV=/app/env.sh
COPY . .
RUN pip install -r requirements.txt
CMD ["python3", "app.py"]
