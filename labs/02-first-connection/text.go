package greet

import "errors"

// Decode turns bytes received from the network into text. charset names
// the encoding the sender used: "utf-8" (also "utf8") or "gbk" (the Chinese
// encoding of older Windows systems), in any case. Bytes that are not valid
// in that encoding, or a charset it does not know, are an error.
func Decode(data []byte, charset string) (string, error) {
	// TODO: UTF-8 needs only a validity check (unicode/utf8); for GBK use
	// golang.org/x/text/encoding/simplifiedchinese.
	return "", errors.New("TODO: implement Decode (task 8)")
}
