FROM python:3.11
WORKDIR /app
RUN printf '[install]\nconstraint = constraints.txt\n' > /etc/pip.conf
COPY . .
RUN pip install -r requirements.txt
