// Command codegen prints the TypeScript that `pulumi import` writes for resources already in a
// stack, using Pulumi's own code: the importer package (GenerateLanguageDefinitions: resource
// states to PCL, with the same reference guessing and zero values for missing required inputs)
// and the Node.js program generator (pkg/codegen/nodejs), bound the way the Node language host
// binds an import program (non-strict, output-versioned invokes).
//
// It starts no plugin and needs no network: the package schema comes from a file (the one the
// provider serves, `pulumi package get-schema`, or the repository's schema.json).
//
// Usage:
//
//	codegen -schema schema.json -state export.json [-protect=false] URN|NAME...
//
// -state is the output of `pulumi stack export` ("-" reads stdin). Secrets in it are decrypted as
// the CLI does (PULUMI_CONFIG_PASSPHRASE for passphrase stacks); with -blind-secrets every secret
// reads "[secret]" instead. -protect mirrors `pulumi import --protect` (default true, as there).
// A NAME selects the one live custom resource of that name. The program goes to stdout
// (index.ts); the generator's warnings go to stderr.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/backend/secrets"
	"github.com/pulumi/pulumi/pkg/v3/codegen/hcl2/syntax"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/pkg/v3/importer"
	pkgresource "github.com/pulumi/pulumi/pkg/v3/resource"
	"github.com/pulumi/pulumi/pkg/v3/resource/stack"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

// fileLoader serves one package schema from a file (and Pulumi's builtin `pulumi` package), as
// the CLI's plugin loader would serve the schema the provider returns from GetSchema.
type fileLoader struct {
	name string
	raw  []byte
	ref  schema.PackageReference
}

var _ schema.ReferenceLoader = (*fileLoader)(nil)

func newFileLoader(path string) (*fileLoader, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var head struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if head.Name == "" {
		return nil, fmt.Errorf("%s: the schema has no name", path)
	}
	return &fileLoader{name: head.Name, raw: raw}, nil
}

func (l *fileLoader) LoadPackageReferenceV2(ctx context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	if d.Name == "pulumi" {
		return schema.DefaultPulumiPackage.Reference(), nil
	}
	if d.Name != l.name || d.Parameterization != nil {
		return nil, fmt.Errorf("no schema for package %s: this tool serves only %q", d, l.name)
	}
	if l.ref == nil {
		var spec schema.PartialPackageSpec
		if err := json.Unmarshal(l.raw, &spec); err != nil {
			return nil, err
		}
		ref, err := schema.ImportPartialSpecWithContext(ctx, spec, nil, l)
		if err != nil {
			return nil, fmt.Errorf("binding the schema of %s: %w", l.name, err)
		}
		l.ref = ref
	}
	// A different version than the state's provider asks for is reported by
	// schema.LoadPackageReferenceV2 (the importer goes on, as with the CLI's loader).
	return l.ref, nil
}

func (l *fileLoader) LoadPackageReference(pkg string, version *semver.Version) (schema.PackageReference, error) {
	return l.LoadPackageReferenceV2(context.TODO(), &schema.PackageDescriptor{Name: pkg, Version: version})
}

func (l *fileLoader) LoadPackageV2(ctx context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	ref, err := l.LoadPackageReferenceV2(ctx, d)
	if err != nil {
		return nil, err
	}
	return ref.Definition()
}

func (l *fileLoader) LoadPackage(pkg string, version *semver.Version) (*schema.Package, error) {
	return l.LoadPackageV2(context.TODO(), &schema.PackageDescriptor{Name: pkg, Version: version})
}

// nodeProgram is the LanguageGenerator: the PCL text bound again and generated as the Node
// language host's GenerateProgram does for `pulumi import` (strict = false).
func nodeProgram(loader schema.ReferenceLoader, warnings io.Writer) importer.LanguageGenerator {
	return func(w io.Writer, p *pcl.Program) error {
		parser := syntax.NewParser()
		source := p.Source()
		names := make([]string, 0, len(source))
		for name := range source {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if err := parser.ParseFile(strings.NewReader(source[name]), name); err != nil {
				return err
			}
		}
		if parser.Diagnostics.HasErrors() {
			return parser.Diagnostics
		}
		opts := append([]pcl.BindOption{pcl.PreferOutputVersionedInvokes}, pcl.NonStrictBindOptions()...)
		program, diags, err := pcl.BindProgram(parser.Files, schema.NewCachedLoader(loader), opts...)
		if err != nil {
			return err
		}
		if diags.HasErrors() {
			return diags
		}
		files, gdiags, err := nodejs.GenerateProgramWithOptions(program, nodejs.ProgramOptions{Runtime: "nodejs"})
		if err != nil {
			return err
		}
		if gdiags.HasErrors() {
			return gdiags
		}
		// Warnings only (errors returned above); the CLI drops them.
		for _, d := range append(diags, gdiags...) {
			fmt.Fprintf(warnings, "codegen: warning: %s\n", d.Error())
		}
		index, ok := files["index.ts"]
		if !ok {
			return fmt.Errorf("the generator wrote no index.ts (files: %v)", keys(files))
		}
		_, err = w.Write(index)
		return err
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func readDeployment(ctx context.Context, path string, blind bool) ([]*pkgresource.State, error) {
	var raw []byte
	var err error
	if path == "-" {
		raw, err = io.ReadAll(os.Stdin)
	} else {
		raw, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, err
	}
	var untyped apitype.UntypedDeployment
	if err := json.Unmarshal(raw, &untyped); err != nil {
		return nil, fmt.Errorf("%s is not `pulumi stack export` output: %w", path, err)
	}
	provider := secrets.DefaultProvider
	if blind {
		provider = secrets.BlindingProvider
	}
	snap, err := stack.DeserializeUntypedDeployment(ctx, &untyped, provider)
	if err != nil {
		return nil, fmt.Errorf("reading the deployment in %s: %w", path, err)
	}
	return snap.Resources, nil
}

// selectResources finds each requested resource among the live ones, by URN or by name, and
// names it for the program as `pulumi import` does for a resource it imported by that name.
func selectResources(live []*pkgresource.State, wanted []string, protect bool) ([]*pkgresource.State, importer.NameTable, error) {
	var picked []*pkgresource.State
	names := importer.NameTable{}
	taken := map[string]bool{}
	for _, w := range wanted {
		var matches []*pkgresource.State
		for _, s := range live {
			if string(s.URN) == w || (s.Custom && !strings.HasPrefix(string(s.Type), "pulumi:providers:") && s.URN.Name() == w) {
				matches = append(matches, s)
			}
		}
		switch len(matches) {
		case 0:
			return nil, nil, fmt.Errorf("no resource %q in the deployment", w)
		case 1:
		default:
			urns := make([]string, len(matches))
			for i, m := range matches {
				urns[i] = string(m.URN)
			}
			return nil, nil, fmt.Errorf("%q names %d resources, give a URN: %s", w, len(matches), strings.Join(urns, ", "))
		}
		s := matches[0].Copy()
		s.Protect = protect // what `pulumi import --protect` writes, whatever the state says
		name := s.URN.Name()
		if taken[name] {
			// Two imports of one name: the second variable gets its type's name appended.
			base := name + strings.ToUpper(string(s.Type.Name())[:1]) + string(s.Type.Name())[1:]
			name = base
			for i := 2; taken[name]; i++ {
				name = fmt.Sprintf("%s%d", base, i)
			}
		}
		taken[name] = true
		names[s.URN] = name
		picked = append(picked, s)
	}
	return picked, names, nil
}

func run() error {
	schemaPath := flag.String("schema", "", "the package schema (JSON), served for its package name")
	statePath := flag.String("state", "", "`pulumi stack export` output, or - for stdin")
	protect := flag.Bool("protect", true, "as `pulumi import --protect`")
	blind := flag.Bool("blind-secrets", false, "read every secret of the deployment as \"[secret]\" instead of decrypting it")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: codegen -schema SCHEMA.json -state EXPORT.json [-protect=false] [-blind-secrets] URN|NAME...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *schemaPath == "" || *statePath == "" || flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	ctx := context.Background()
	loader, err := newFileLoader(*schemaPath)
	if err != nil {
		return err
	}
	all, err := readDeployment(ctx, *statePath, *blind)
	if err != nil {
		return err
	}
	var live []*pkgresource.State
	for _, s := range all {
		if !s.Delete {
			live = append(live, s)
		}
	}
	states, names, err := selectResources(live, flag.Args(), *protect)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := importer.GenerateLanguageDefinitions(&out, loader, nodeProgram(loader, os.Stderr), states, all, names); err != nil {
		var diags *importer.DiagnosticsError
		if errors.As(err, &diags) {
			var text bytes.Buffer
			dw := diags.NewDiagnosticWriter(&text, 0, false)
			_ = dw.WriteDiagnostics(diags.Diagnostics())
			return fmt.Errorf("%w\n%s", err, text.String())
		}
		return err
	}
	_, err = os.Stdout.Write(out.Bytes())
	return err
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "codegen: %v\n", err)
		os.Exit(1)
	}
}
