// Cisco Unity Connection resources over the CUPI provisioning API (/vmrest).
package cuc
