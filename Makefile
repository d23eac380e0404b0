# keyreach: build in release mode and install the binary.
#   make install                   -> /usr/local/bin/keyreach
#   make install PREFIX=~/.local   -> ~/.local/bin/keyreach
# The first release build takes minutes (about 7 on 2 cores).
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin

.PHONY: build install uninstall test

build:
	swift build -c release --product keyreach

install: build
	install -d "$(DESTDIR)$(BINDIR)"
	install -m 0755 "$$(swift build -c release --show-bin-path)/keyreach" "$(DESTDIR)$(BINDIR)/keyreach"

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/keyreach"

test:
	swift test
