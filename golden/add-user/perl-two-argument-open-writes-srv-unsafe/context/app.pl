use File::Path qw(make_path);
my $DATA_DIR = "/srv/data";
make_path($DATA_DIR);
open(LOG, ">/srv/log/x.log");
