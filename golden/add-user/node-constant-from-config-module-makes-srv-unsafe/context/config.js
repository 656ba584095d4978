module.exports = { OUT: "/srv/reports" };
