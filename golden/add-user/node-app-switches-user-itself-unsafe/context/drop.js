process.setgid('nogroup');
process.setuid('nobody');
