package domain

import "sort"

// isoCountries is every officially assigned ISO 3166-1 alpha-2 code (249), in
// order, two letters each: Partner Center records a partner's and a
// location's country as one of them. Reserved and withdrawn codes (UK, EU,
// XK, ZZ) are not countries there.
const isoCountries = "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBL" +
	"BMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCICKCLCMCNCOCRCUCV" +
	"CWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGD" +
	"GEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIM" +
	"INIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILK" +
	"LRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMW" +
	"MXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPR" +
	"PSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSS" +
	"STSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUY" +
	"UZVAVCVEVGVIVNVUWFWSYEYTZAZMZW"

// ValidCountry: an officially assigned ISO 3166-1 alpha-2 code, upper case.
func ValidCountry(s string) bool {
	if len(s) != 2 {
		return false
	}
	n := len(isoCountries) / 2
	i := sort.Search(n, func(i int) bool { return isoCountries[2*i:2*i+2] >= s })
	return i < n && isoCountries[2*i:2*i+2] == s
}
