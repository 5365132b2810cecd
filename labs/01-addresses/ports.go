package addresses

// Service is a well-known service: its name, the transport it uses and the
// port the Internet Assigned Numbers Authority (IANA) gave it.
type Service struct {
	Name    string
	Network string // "tcp" or "udp"
	Port    int
}

// WellKnown lists the services chapter 1 talks about. Ports below 1024 are
// "well-known": on most systems only an administrator may listen on them.
var WellKnown = []Service{
	{"ftp", "tcp", 21},
	{"ssh", "tcp", 22},
	{"smtp", "tcp", 25},
	{"domain", "udp", 53},
	{"domain", "tcp", 53},
	{"tftp", "udp", 69},
	{"http", "tcp", 80},
	{"https", "tcp", 443},
	{"mysql", "tcp", 3306},
	{"redis", "tcp", 6379},
}
