FROM {{ base_image }}:{{ tag }}
{% if dev %}
RUN pip install -r requirements-dev.txt
{% endif %}
CMD {{ cmd | tojson }}
