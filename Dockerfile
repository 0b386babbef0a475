# Tidu (梯度), the production image. One image, two commands (see docker-compose.yml):
#   web:    gunicorn project.wsgi            (the pages, the API, the static files via WhiteNoise)
#   worker: celery -A project worker -B      (documents, reminders, timers, checkpoints)
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The system packages of scripts/install-system-packages.sh without the test tools
# (chromium, poppler): Pango and HarfBuzz's subsetter for WeasyPrint, the CJK fonts of
# STYLE.md, gettext for the catalogues, and the Fandol faces taken from TeX Live's
# Chinese package without installing TeX Live.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig \
      fonts-noto-cjk fonts-noto-cjk-extra fonts-arphic-gkai00mp fonts-arphic-gbsn00lp \
      gettext \
 && mkdir -p /tmp/fandol /usr/local/share/fonts/fandol \
 && cd /tmp/fandol \
 && apt-get download texlive-lang-chinese \
 && dpkg-deb -x texlive-lang-chinese_*.deb extracted \
 && find extracted -name 'Fandol*.otf' -exec cp {} /usr/local/share/fonts/fandol/ \; \
 && cd / && rm -rf /tmp/fandol /var/lib/apt/lists/* \
 && fc-cache -f

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Catalogues and static files are built into the image; var/ holds only what is written at run time.
RUN python manage.py compilemessages -v 0 --ignore=.venv --ignore=var \
 && python manage.py collectstatic --no-input -v 0 \
 && rm -f var/tidu.sqlite3 \
 && useradd --system --home-dir /app --shell /usr/sbin/nologin tidu \
 && mkdir -p var/media var/imports var/checkpoints \
 && chown -R tidu:tidu var

USER tidu
EXPOSE 8000
CMD ["gunicorn", "project.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120", "--access-logfile", "-"]
