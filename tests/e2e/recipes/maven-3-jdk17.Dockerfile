# maven:3-jdk17 for the end-to-end suite: Debian's OpenJDK 17 and Maven 3.8 with the plugins a jar build
# needs, served from Debian's /usr/share/maven-repo (files/maven-settings.xml: Maven Central is not
# reachable from the test machines). JAVA_HOME=/opt/java/openjdk as in the official image.
FROM debian:bookworm-slim
# openjdk's postinst registers manual pages with update-alternatives and fails when slim removed the folder.
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates ca-certificates-java openjdk-17-jdk-headless maven \
      libmaven-clean-plugin-java libmaven-resources-plugin-java libmaven-compiler-plugin-java \
      libsurefire-java libmaven-jar-plugin-java libmaven-install-plugin-java libmaven-deploy-plugin-java \
      libmaven-site-plugin-java libmaven-dependency-plugin-java \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /opt/java \
 && ln -s "/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)" /opt/java/openjdk
COPY files/maven-settings.xml /etc/maven/settings.xml
ENV JAVA_HOME=/opt/java/openjdk \
    MAVEN_HOME=/usr/share/maven \
    MAVEN_CONFIG=/root/.m2
CMD ["mvn"]
