FROM python:3.11
WORKDIR /srv
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN mkdir -p /srv/media && python -c "open('/srv/media/placeholder.txt','w').write('p')"
EXPOSE 8000
CMD ["python", "app.py"]
