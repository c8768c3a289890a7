package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

func cmdVersion(_ context.Context, env environment, args []string) error {
	if len(args) > 0 {
		return usageErr("version takes no arguments")
	}
	rev := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				rev = " (" + s.Value[:12] + ")"
			}
		}
		fmt.Fprintf(env.stdout, "pollen %s%s %s\n", version, rev, bi.GoVersion)
		return nil
	}
	fmt.Fprintf(env.stdout, "pollen %s\n", version)
	return nil
}
