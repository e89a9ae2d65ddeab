module gotrace.test/programs

go 1.19
