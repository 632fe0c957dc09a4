// An end-to-end test of the generated Go SDK (sdk/go/cuc) with Go's Automation API: an inline
// program, run in this process (no Go language host), against the CUPI simulator through the
// pulumi-resource-cuc plugin. Run by tests/e2e/go.e2e.ts, which starts the simulator, installs the
// plugin into PULUMI_HOME, puts the CLI on PATH and sets:
//
//	CUC_GO_SERVER, CUC_GO_USERNAME, CUC_GO_PASSWORD, CUC_GO_CA_CERT  the simulator
//	CUC_GO_AXL_PASSWORD  the AXL server's password (a secret config value)
//	CUC_GO_USER_PIN      the user's PIN (a secret config value: digits)
//	CUC_GO_IMPORT_ID     a phone system made outside Pulumi, CUC_GO_IMPORT_NAME its display name
//	CUC_GO_BACKEND       a file:// backend URL
//	PULUMI_HOME, PULUMI_CONFIG_PASSPHRASE
//
// Without CUC_GO_SERVER the test is skipped.
package cuctest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/pulumi-cuc/pulumi-cuc/sdk/go/cuc"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// program: a phone system, an AXL server under it (its password from a secret config value),
// an existing phone system imported, two provider functions, and the directory: a partition and
// a user in it, made from the built-in template, its PIN from a secret config value.
func program(importID, importName string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		pbx, err := cuc.NewPhoneSystem(ctx, "pbx", &cuc.PhoneSystemArgs{
			DisplayName:     pulumi.String("Go PBX"),
			MwiAlwaysUpdate: pulumi.Bool(cfg.RequireBool("mwiAlwaysUpdate")),
		})
		if err != nil {
			return err
		}
		axl, err := cuc.NewAxlServer(ctx, "axl", &cuc.AxlServerArgs{
			PhoneSystemId:   pbx.ID().ToStringOutput(),
			HostOrIpAddress: pulumi.String("cucm-pub.example.com"),
			CcmAxlUser:      pulumi.String("axladmin"),
			CcmAxlPassword:  cfg.RequireSecret("axlPassword"),
			Port:            pulumi.Int(8443),
		})
		if err != nil {
			return err
		}
		imported, err := cuc.NewPhoneSystem(ctx, "imported", &cuc.PhoneSystemArgs{
			DisplayName: pulumi.String(importName),
		}, pulumi.Import(pulumi.ID(importID)))
		if err != nil {
			return err
		}
		groups, err := cuc.GetPortGroups(ctx, &cuc.GetPortGroupsArgs{})
		if err != nil {
			return err
		}
		names := []string{}
		for _, g := range groups.PortGroups {
			if g.DisplayName != nil {
				names = append(names, *g.DisplayName)
			}
		}
		// The output form of a function: it waits for the update of the phone system.
		read := cuc.LookupPhoneSystemOutput(ctx, cuc.LookupPhoneSystemOutputArgs{ObjectId: pbx.ID().ToStringOutput()})
		floor, err := cuc.NewPartition(ctx, "floor", &cuc.PartitionArgs{Description: pulumi.String("Go sales floor")})
		if err != nil {
			return err
		}
		user, err := cuc.NewUser(ctx, "jdoe", &cuc.UserArgs{
			Alias:         pulumi.String("go-jdoe"),
			DtmfAccessId:  pulumi.String("7001"),
			DisplayName:   pulumi.String("Jane Doe"),
			TemplateAlias: pulumi.String("voicemailusertemplate"),
			PartitionId:   floor.ObjectId,
			Pin:           cfg.RequireSecret("userPin"),
			PinMustChange: pulumi.Bool(false),
		})
		if err != nil {
			return err
		}
		ctx.Export("partitionId", floor.ObjectId)
		ctx.Export("partitionName", floor.Name)
		ctx.Export("userId", user.ObjectId)
		ctx.Export("phoneSystemId", pbx.ID())
		ctx.Export("phoneSystemName", pbx.DisplayName)
		ctx.Export("axlServerId", axl.ID())
		ctx.Export("axlHost", axl.HostOrIpAddress)
		ctx.Export("importedId", imported.ID())
		ctx.Export("portGroups", pulumi.ToStringArray(names))
		ctx.Export("readMwiAlwaysUpdate", read.MwiAlwaysUpdate())
		return nil
	}
}

func need(t *testing.T, name string) string {
	v := os.Getenv(name)
	if v == "" {
		t.Fatalf("%s is not set", name)
	}
	return v
}

// simulator reads one object from CUPI directly (not through Pulumi).
type simulator struct {
	server, user, password string
	client                 *http.Client
}

func newSimulator(t *testing.T) *simulator {
	pem, err := os.ReadFile(need(t, "CUC_GO_CA_CERT"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("no certificate in CUC_GO_CA_CERT")
	}
	return &simulator{
		server: strings.TrimRight(need(t, "CUC_GO_SERVER"), "/"), user: need(t, "CUC_GO_USERNAME"), password: need(t, "CUC_GO_PASSWORD"),
		client: &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}},
	}
}

// get returns the object at path (decoded) and the HTTP status.
func (s *simulator) get(t *testing.T, path string) (map[string]any, int) {
	req, err := http.NewRequest("GET", s.server+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(s.user, s.password)
	req.Header.Set("Accept", "application/json")
	res, err := s.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body map[string]any
	if res.StatusCode == http.StatusOK {
		if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	return body, res.StatusCode
}

// storedPin is the PIN the simulator stores for a user (its /__sim/data test hook, outside
// /vmrest; CUPI itself never returns a PIN).
func (s *simulator) storedPin(t *testing.T, userID string) string {
	res, err := s.client.Get(s.server + "/__sim/data")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var data map[string][]map[string]any
	if err := json.NewDecoder(res.Body).Decode(&data); err != nil {
		t.Fatalf("GET /__sim/data: %v", err)
	}
	for _, r := range data["UserPin"] {
		if r["UserObjectId"] == userID {
			return fmt.Sprint(r["Credentials"])
		}
	}
	return ""
}

func outputString(t *testing.T, outs auto.OutputMap, key string) string {
	o, ok := outs[key]
	if !ok {
		t.Fatalf("no output %q in %v", key, outs)
	}
	s, ok := o.Value.(string)
	if !ok {
		t.Fatalf("output %q is %T, not a string", key, o.Value)
	}
	return s
}

func TestAutomation(t *testing.T) {
	if os.Getenv("CUC_GO_SERVER") == "" {
		t.Skip("CUC_GO_SERVER is not set: run by tests/e2e/go.e2e.ts")
	}
	ctx := context.Background()
	sim := newSimulator(t)
	importID, importName := need(t, "CUC_GO_IMPORT_ID"), need(t, "CUC_GO_IMPORT_NAME")

	stack, err := auto.UpsertStackInlineSource(ctx, "dev", "cuc-go", program(importID, importName),
		auto.Project(workspace.Project{
			Name:    "cuc-go",
			Runtime: workspace.NewProjectRuntimeInfo("go", nil),
			Backend: &workspace.ProjectBackend{URL: need(t, "CUC_GO_BACKEND")},
		}),
		auto.SecretsProvider("passphrase"),
		auto.PulumiHome(need(t, "PULUMI_HOME")),
	)
	if err != nil {
		t.Fatalf("creating the stack: %v", err)
	}
	cfg := auto.ConfigMap{
		"cuc:server":      {Value: sim.server},
		"cuc:username":    {Value: sim.user},
		"cuc:password":    {Value: sim.password, Secret: true},
		"cuc:caCert":      {Value: need(t, "CUC_GO_CA_CERT")},
		"axlPassword":     {Value: need(t, "CUC_GO_AXL_PASSWORD"), Secret: true},
		"userPin":         {Value: need(t, "CUC_GO_USER_PIN"), Secret: true},
		"mwiAlwaysUpdate": {Value: "true"},
	}
	if err := stack.SetAllConfig(ctx, cfg); err != nil {
		t.Fatalf("config: %v", err)
	}
	destroyed := false
	defer func() {
		if !destroyed {
			_, _ = stack.Destroy(ctx, optdestroy.ProgressStreams(os.Stdout))
		}
	}()

	// 1. create (and import, and the functions)
	up, err := stack.Up(ctx, optup.ProgressStreams(os.Stdout))
	if err != nil {
		t.Fatalf("first up: %v", err)
	}
	changes := *up.Summary.ResourceChanges
	if changes["create"] != 5 || changes["import"] != 1 {
		t.Fatalf("first up: changes %v, want 5 creates (stack, phone system, AXL server, partition, user) and 1 import", changes)
	}
	id := outputString(t, up.Outputs, "phoneSystemId")
	axlID := outputString(t, up.Outputs, "axlServerId")
	if got := outputString(t, up.Outputs, "importedId"); got != importID {
		t.Fatalf("imported id %q, want %q", got, importID)
	}
	if got := outputString(t, up.Outputs, "axlHost"); got != "cucm-pub.example.com" {
		t.Fatalf("axlHost %q", got)
	}
	groups, _ := up.Outputs["portGroups"].Value.([]any)
	if len(groups) == 0 {
		t.Fatalf("getPortGroups found no port group: %v", up.Outputs["portGroups"].Value)
	}
	if !up.Outputs["readMwiAlwaysUpdate"].Value.(bool) {
		t.Fatalf("getPhoneSystem read mwiAlwaysUpdate false after the create")
	}
	obj, status := sim.get(t, "/vmrest/phonesystems/"+id)
	if status != 200 || obj["DisplayName"] != "Go PBX" || fmt.Sprint(obj["MwiAlwaysUpdate"]) != "true" {
		t.Fatalf("the simulator has %d %v", status, obj)
	}
	axlObj, status := sim.get(t, "/vmrest/phonesystems/"+id+"/axlservers/"+strings.TrimPrefix(axlID, id+"/"))
	if status != 200 || axlObj["HostOrIPAddress"] != "cucm-pub.example.com" {
		t.Fatalf("the simulator has AXL server %s: %d %v", axlID, status, axlObj)
	}

	// The directory: the partition (auto-named), the user in it, and its PIN on the server (the
	// simulator's test hook shows stored credentials; CUPI never returns them).
	partitionID, userID := outputString(t, up.Outputs, "partitionId"), outputString(t, up.Outputs, "userId")
	partition, status := sim.get(t, "/vmrest/partitions/"+partitionID)
	if status != 200 || partition["Name"] != outputString(t, up.Outputs, "partitionName") || !strings.HasPrefix(fmt.Sprint(partition["Name"]), "floor-") {
		t.Fatalf("the simulator has partition %s: %d %v", partitionID, status, partition)
	}
	user, status := sim.get(t, "/vmrest/users/"+userID)
	if status != 200 || user["Alias"] != "go-jdoe" || user["PartitionObjectId"] != partitionID {
		t.Fatalf("the simulator has user %s: %d %v", userID, status, user)
	}
	if pin := sim.storedPin(t, userID); pin != need(t, "CUC_GO_USER_PIN") {
		t.Fatalf("the user's stored PIN is not the configured one (%d characters)", len(pin))
	}

	// 2. a changed value: one in-place update, seen by the simulator and by the function
	if err := stack.SetConfig(ctx, "mwiAlwaysUpdate", auto.ConfigValue{Value: "false"}); err != nil {
		t.Fatal(err)
	}
	up, err = stack.Up(ctx, optup.ProgressStreams(os.Stdout))
	if err != nil {
		t.Fatalf("second up: %v", err)
	}
	changes = *up.Summary.ResourceChanges
	if changes["update"] != 1 || changes["create"] != 0 || changes["delete"] != 0 || changes["replace"] != 0 {
		t.Fatalf("second up: changes %v, want one update", changes)
	}
	if got := outputString(t, up.Outputs, "phoneSystemId"); got != id {
		t.Fatalf("the phone system was replaced: %s, then %s", id, got)
	}
	obj, _ = sim.get(t, "/vmrest/phonesystems/"+id)
	if fmt.Sprint(obj["MwiAlwaysUpdate"]) != "false" {
		t.Fatalf("after the update the simulator has MwiAlwaysUpdate %v", obj["MwiAlwaysUpdate"])
	}
	if up.Outputs["readMwiAlwaysUpdate"].Value.(bool) {
		t.Fatalf("getPhoneSystem read mwiAlwaysUpdate true after the update")
	}

	// 3. nothing left to do
	pre, err := stack.Preview(ctx, optpreview.ProgressStreams(os.Stdout))
	if err != nil {
		t.Fatalf("preview: %v", err)
	}
	if n := pre.ChangeSummary["same"]; n != 6 || len(pre.ChangeSummary) != 1 {
		t.Fatalf("preview after the update: %v, want 6 same", pre.ChangeSummary)
	}

	// 4. destroy: everything the stack holds is gone, the imported phone system too
	if _, err := stack.Destroy(ctx, optdestroy.ProgressStreams(os.Stdout)); err != nil {
		t.Fatalf("destroy: %v", err)
	}
	destroyed = true
	for _, p := range []string{"/vmrest/phonesystems/" + id, "/vmrest/phonesystems/" + importID, "/vmrest/users/" + userID, "/vmrest/partitions/" + partitionID} {
		if _, status := sim.get(t, p); status != http.StatusNotFound {
			t.Fatalf("after destroy GET %s is %d, want 404", p, status)
		}
	}
	if err := stack.Workspace().RemoveStack(ctx, "dev"); err != nil {
		t.Fatalf("removing the stack: %v", err)
	}
}
