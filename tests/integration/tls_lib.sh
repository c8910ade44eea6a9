# Throwaway certificates for the TLS tests, made with the openssl CLI at
# test time: a CA, a server certificate it signed for 127.0.0.1 and
# localhost, and a second CA that signed nothing the server has.
# Source after lib.sh; tls_make_certs DIR fills DIR and sets TLS_DIR.

# tls_issue DIR NAME [DAYS]: a new key and a certificate from DIR's CA.
tls_issue() {
    local dir=$1 name=$2 days=${3:-2}
    openssl req -newkey rsa:2048 -nodes -keyout "$dir/$name.key" -out "$dir/$name.csr" \
        -subj "/CN=127.0.0.1" 2>/dev/null &&
        openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
            -CAcreateserial -out "$dir/$name.pem" -days "$days" -extfile "$dir/ext.cnf" 2>/dev/null &&
        chmod 600 "$dir/$name.key"
}

tls_make_certs() {
    TLS_DIR=$1
    mkdir -p "$TLS_DIR"
    command -v openssl >/dev/null || skip_all "the openssl command is not installed"
    printf '%s\n' 'subjectAltName=IP:127.0.0.1,DNS:localhost' 'basicConstraints=CA:FALSE' \
        'extendedKeyUsage=serverAuth' >"$TLS_DIR/ext.cnf"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TLS_DIR/ca.key" -out "$TLS_DIR/ca.pem" \
        -days 2 -subj "/CN=servicebot test CA" 2>/dev/null &&
        openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TLS_DIR/other-ca.key" \
            -out "$TLS_DIR/other-ca.pem" -days 2 -subj "/CN=some other CA" 2>/dev/null &&
        tls_issue "$TLS_DIR" server
}
