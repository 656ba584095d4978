FROM python:3.11
RUN python -m venv /opt/venv
WORKDIR /app
COPY . .
RUN /bin/bash -c "source /opt/venv/bin/activate && pip install --no-cache-dir -r requirements.txt && python manage.py collectstatic"
CMD ["/opt/venv/bin/python", "manage.py", "runserver"]
