"""fail2ban's own ban decisions for a Home Assistant log, for hassguard's benchmark.

Feeds every line to fail2ban's Filter (the same failregex/datepattern code fail2ban-server runs) with
fail2ban's FailManager deciding (maxretry within findtime), and fail2ban's clock (MyTime) set to each line's
time, as if fail2ban-server had read the log live. Prints one JSON object: the banned addresses in order.
Usage: python3 decisions.py LOG FILTER_CONF MAXRETRY FINDTIME
"""
import json
import sys
import time

import configparser
import os
from fail2ban.server.filter import Filter
from fail2ban.server.mytime import MyTime


class CollectingJail:
    """The part of a jail the Filter talks to: it only collects the tickets fail2ban would ban."""

    name = "homeassistant"
    database = None

    def __init__(self):
        self.banned = []
        self.seen = set()

    def putFailTicket(self, ticket):
        ip = str(ticket.getID())
        if ip not in self.seen:
            self.seen.add(ip)
            self.banned.append(ip)


def main():
    log, filter_conf, maxretry, findtime = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    # the filter file's [Definition] (it needs nothing from common.conf: no %(...)s interpolation)
    parser = configparser.RawConfigParser()
    parser.read(filter_conf)
    failregex = parser.get("Definition", "failregex")
    datepattern = parser.get("Definition", "datepattern").replace("%%", "%")

    jail = CollectingJail()
    flt = Filter(jail)
    flt.setMaxRetry(maxretry)
    flt.setFindTime(findtime)
    flt.setDatePattern(datepattern)
    flt.addFailRegex(failregex)
    flt.checkFindTime = True
    # judge every address the same way as hassguard is told to (its own allow-list is off in the benchmark)
    flt.ignoreSelf = False
    started = time.monotonic()
    lines = 0
    with open(log, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            lines += 1
            # fail2ban's "now" follows the log, as it would when reading it live
            stamp = line[:19]
            if len(stamp) == 19 and stamp[4] == "-":
                try:
                    MyTime.setTime(time.mktime(time.strptime(stamp, "%Y-%m-%d %H:%M:%S")) + 1)
                except ValueError:
                    pass
            flt.processLineAndAdd(line.rstrip("\n"))
    print(json.dumps({"lines": lines, "banned": jail.banned, "seconds": time.monotonic() - started}))


if __name__ == "__main__":
    main()
