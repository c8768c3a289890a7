package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3"
// (the Dockerfile does, from its VERSION build argument). A binary built by
// `go install github.com/pollen-team/pollen@v1.2.3` carries no -X, so its
// module version comes from the build info instead.
var version = "dev"

// moduleVersion is the version to print: the stamped one, else the module
// version go install recorded, else "dev".
func moduleVersion(stamped string, bi *debug.BuildInfo) string {
	if stamped != "dev" && stamped != "" {
		return stamped
	}
	if bi != nil && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

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
		fmt.Fprintf(env.stdout, "pollen %s%s %s\n", moduleVersion(version, bi), rev, bi.GoVersion)
		return nil
	}
	fmt.Fprintf(env.stdout, "pollen %s\n", version)
	return nil
}
