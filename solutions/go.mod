// The reference solutions are not a package of their own: each file replaces
// the student file of the same name in labs/NN-slug when netbook builds the
// lab with go test -overlay (verify, check against the reference, up --ref,
// diff). Alone, a solution file does not compile (it uses the lab's given
// files), so this go.mod keeps solutions/ out of the root module's ./...
// See CONTRIBUTING.md.
module github.com/netbook/netbook/solutions

go 1.26
